import type { PendingConsent } from './simulator.types';

/**
 * The wallet's consent page, as bare as it can be: who asks for what, and one
 * button. The form posts back to the same path (relative, so any mount
 * prefix holds).
 */
export function consentPage(consent: PendingConsent): string {
  const scopes = consent.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorize ${escapeHtml(consent.authClientId)}</title></head>
<body>
<h1>Alipay+ simulator wallet</h1>
<p>Merchant <strong>${escapeHtml(consent.referenceMerchantId)}</strong> (auth client ${escapeHtml(consent.authClientId)}) asks for:</p>
<ul>${scopes}</ul>
<p>You will be sent back to ${escapeHtml(consent.authRedirectUrl)}</p>
<form method="post" action="authorize">
<input type="hidden" name="ticket" value="${escapeHtml(consent.ticket)}">
<button type="submit">Authorize</button>
</form>
</body>
</html>
`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
