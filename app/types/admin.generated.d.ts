/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type ShopRegistrationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopRegistrationQuery = { shop: Pick<AdminTypes.Shop, 'name' | 'email' | 'contactEmail' | 'ianaTimezone'>, currentAppInstallation: Pick<AdminTypes.AppInstallation, 'id'> };

export type PublishReferralLinkMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type PublishReferralLinkMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'key'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type StorefrontBlockStatusQueryVariables = AdminTypes.Exact<{
  namespace: AdminTypes.Scalars['String']['input'];
}>;


export type StorefrontBlockStatusQuery = { currentAppInstallation: (
    Pick<AdminTypes.AppInstallation, 'id'>
    & { referralLink?: AdminTypes.Maybe<Pick<AdminTypes.Metafield, 'value'>> }
  ) };

interface GeneratedQueryTypes {
  "\n    #graphql\n    query ShopRegistration {\n      shop {\n        name\n        email\n        contactEmail\n        ianaTimezone\n      }\n      currentAppInstallation {\n        id\n      }\n    }\n  ": {return: ShopRegistrationQuery, variables: ShopRegistrationQueryVariables},
  "\n      #graphql\n      query StorefrontBlockStatus($namespace: String!) {\n        currentAppInstallation {\n          id\n          referralLink: metafield(namespace: $namespace, key: \"referral_link\") {\n            value\n          }\n        }\n      }\n    ": {return: StorefrontBlockStatusQuery, variables: StorefrontBlockStatusQueryVariables},
}

interface GeneratedMutationTypes {
  "\n      #graphql\n      mutation PublishReferralLink($metafields: [MetafieldsSetInput!]!) {\n        metafieldsSet(metafields: $metafields) {\n          metafields {\n            key\n          }\n          userErrors {\n            field\n            message\n            code\n          }\n        }\n      }\n    ": {return: PublishReferralLinkMutation, variables: PublishReferralLinkMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
