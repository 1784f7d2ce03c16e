/**
 * Console links that open the right account. The analyst reading an alert is signed in to the security
 * account, not to the member account the alert is about, and a plain console URL opens in whatever
 * account the browser is signed in to. With IAM Identity Center configured, the link is an access-portal
 * shortcut link, which signs in to the given account with the given permission set and then opens the
 * destination: `<portal>/#/console?account_id=<id>&role_name=<permission set>&destination=<URL-encoded
 * console URL>` (IAM Identity Center User Guide, "Create shortcut links to specific AWS Management
 * Console pages", https://docs.aws.amazon.com/singlesignon/latest/userguide/createshortcutlink.html).
 * Without it, the label says which account to sign in to. Pure, no dependencies beyond the contract.
 */
import type { ConsoleAccess } from '../contract/console-access';
import type { AlertLocale } from '../contract/contract';

export { ACCESS_PORTAL_URL, PERMISSION_SET_NAME, type ConsoleAccess } from '../contract/console-access';

/** A console link and its localized label. */
export interface ConsoleLink {
  readonly label: string;
  readonly url: string;
}

/**
 * The link to `consoleUrl` inside `accountId`: a shortcut link through the access portal when `access`
 * is configured, else the plain URL with a label naming the account to sign in to first. Pure.
 */
export function consoleLinkFor(
  locale: AlertLocale,
  accountId: string,
  consoleUrl: string,
  access?: ConsoleAccess,
): ConsoleLink {
  const ko = locale === 'ko';
  if (access === undefined) {
    return {
      label: ko
        ? `콘솔 (먼저 계정 ${accountId}에 로그인하십시오)`
        : `Console (sign in to account ${accountId} first)`,
      url: consoleUrl,
    };
  }
  const portal = access.accessPortalUrl.replace(/\/+$/, '');
  const query = [
    `account_id=${accountId}`,
    `role_name=${encodeURIComponent(access.permissionSet)}`,
    `destination=${encodeURIComponent(consoleUrl)}`,
  ].join('&');
  return {
    label: ko
      ? `콘솔 (IAM Identity Center: 계정 ${accountId}, 권한 세트 ${access.permissionSet})`
      : `Console (IAM Identity Center: account ${accountId}, permission set ${access.permissionSet})`,
    url: `${portal}/#/console?${query}`,
  };
}
