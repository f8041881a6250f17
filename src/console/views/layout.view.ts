import type { Operator } from '../../operators/operator';
import { assetUrl } from '../assets/console-assets';
import { esc } from './html';

export type ConsolePage = 'merchants' | 'tokens' | 'deliveries' | 'health' | 'audit';

export const CONSOLE_PAGES: ReadonlyArray<{ page: ConsolePage; label: string }> = [
  { page: 'merchants', label: 'Merchants' },
  { page: 'tokens', label: 'Tokens' },
  { page: 'deliveries', label: 'Deliveries' },
  { page: 'health', label: 'Health and charts' },
  { page: 'audit', label: 'Audit trail' },
];

export function isConsolePage(name: string): name is ConsolePage {
  return CONSOLE_PAGES.some((p) => p.page === name);
}

function head(title: string, extra = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ACQP console</title>
<link rel="stylesheet" href="${assetUrl('console.css')}">
${extra}</head>`;
}

/** The shell of a signed-in page: skip link, navigation, live regions, the page's markup, its scripts. */
export function layout(page: ConsolePage, title: string, csrfToken: string, operator: Operator, main: string): string {
  const nav = CONSOLE_PAGES.map((p) => `<li><a href="/console/${p.page}"${p.page === page ? ' aria-current="page"' : ''}>${esc(p.label)}</a></li>`).join('');
  return `${head(title, `<meta name="csrf-token" content="${esc(csrfToken)}">\n`)}
<body data-page="${page}">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="top">
  <p class="brand"><a href="/console/merchants">ACQP gateway console</a></p>
  <nav aria-label="Console">
    <ul>${nav}</ul>
  </nav>
  <p class="who" id="signed-in-as">Signed in as <strong>${esc(operator.name)}</strong> (${esc(operator.role)})</p>
  <form id="logout-form" class="logout" method="post" action="/console/logout">
    <input type="hidden" name="csrf" value="${esc(csrfToken)}">
    <button type="submit">Log out</button>
  </form>
</header>
<main id="main" tabindex="-1">
<h1>${esc(title)}</h1>
<div id="flash" class="flash" role="status" aria-live="polite"></div>
<div id="alert" class="alert" role="alert" aria-live="assertive"></div>
${main}
</main>
<script src="${assetUrl('core.js')}"></script>
<script src="${assetUrl(`${page}.js`)}"></script>
</body>
</html>
`;
}

/** The login page: a plain form that works without JavaScript. */
export function loginPage(error?: string): string {
  const problem = error ? `<p class="alert" role="alert" id="login-error">${esc(error)}</p>` : '';
  return `${head('Log in')}
<body data-page="login">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="top"><p class="brand">ACQP gateway console</p></header>
<main id="main" tabindex="-1" class="narrow">
<h1>Log in</h1>
${problem}
<form method="post" action="/console/login" class="card">
  <p>Sign in with your operator token (made with <code>npm run admin -- operators:create</code>), or the gateway's bootstrap <code>ADMIN_API_TOKEN</code>. It is checked once and never stored in the browser: the session cookie is a random id that expires after 8 hours.</p>
  <div class="field">
    <label for="token">Operator token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512"${error ? ' aria-describedby="login-error" aria-invalid="true"' : ''} autofocus>
  </div>
  <button type="submit" class="primary">Log in</button>
</form>
</main>
</body>
</html>
`;
}
