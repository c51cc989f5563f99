// email-providers ships no types: its default export is the list of public mail domains.
declare module "email-providers" {
  const domains: string[];
  export default domains;
}
