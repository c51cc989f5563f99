// Plain values shared by the API key schemas and the admin page's browser code (no zod here,
// so the page's bundle does not carry the schemas).

/** read: analytics and referrals; write: activation. */
export const API_SCOPES = ["read", "write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_KEY_NAME_MAX = 64;
