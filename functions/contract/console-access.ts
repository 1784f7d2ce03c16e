/**
 * What the configuration, the stacks and the functions agree on for console links through IAM Identity
 * Center: the access portal URL and the permission set, and their accepted forms. No dependencies.
 */

/** How analysts sign in: the AWS access portal and the permission set to open member accounts with. */
export interface ConsoleAccess {
  /** `https://d-1234567890.awsapps.com/start` (or an alias), or `https://ssoins-<id>.portal.<region>.app.aws`. */
  readonly accessPortalUrl: string;
  /** Name of the permission set (the shortcut's `role_name`), e.g. `SecurityAudit`. */
  readonly permissionSet: string;
}

/**
 * Access-portal URLs IAM Identity Center gives out: the IPv4 form on awsapps.com with the directory id
 * or a custom alias, and the dual-stack form on app.aws (IAM Identity Center User Guide, "Customize the
 * AWS access portal URL" and "IPv6 support"). A trailing slash is allowed.
 */
export const ACCESS_PORTAL_URL =
  /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.awsapps\.com\/start|ssoins-[0-9a-f]{16}\.portal\.[a-z]{2}(?:-[a-z]+)+-\d\.app\.aws)\/?$/;

/** Permission set names: 1-32 of letters, digits and `+=,.@_-` (CreatePermissionSet, `Name`). */
export const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
