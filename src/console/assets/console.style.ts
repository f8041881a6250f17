// The console's one stylesheet.
// Served as is from /console/assets (see console-assets.ts): plain browser JavaScript/CSS, no backticks or template placeholders inside.
export const CONSOLE_CSS = String.raw`
/* ACQP console: system fonts, high-contrast colours, visible focus everywhere. */
:root {
  --ink: #1b1f24; --muted: #4a5360; --line: #c9d1d9; --bg: #f6f8fa; --card: #ffffff;
  --accent: #0b57d0; --accent-ink: #ffffff; --focus: #f59e0b;
  --ok: #116329; --ok-bg: #dafbe1; --bad: #a40e26; --bad-bg: #ffebe9; --warn: #7d4e00; --warn-bg: #fff8c5;
  --bar-notifications: #0b57d0; --bar-deliveries: #116329; --bar-failures: #a40e26;
}
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; font-size: 15px; color: var(--ink); background: var(--bg); }
body { margin: 0; line-height: 1.45; }
a { color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace; font-size: 0.92em; }
pre { white-space: pre-wrap; word-break: break-all; background: var(--bg); border: 1px solid var(--line); padding: 0.5rem; margin: 0.25rem 0; }

:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
main:focus { outline: none; }
main:focus-visible { outline: 3px solid var(--focus); }

.skip-link { position: absolute; left: 0.5rem; top: -3rem; z-index: 10; background: var(--ink); color: #fff; padding: 0.5rem 1rem; border-radius: 0 0 6px 6px; }
.skip-link:focus { top: 0; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.6rem 1.25rem; background: #0d1b2a; color: #fff; }
.top .brand { margin: 0; font-weight: 700; }
.top .brand a { color: #fff; text-decoration: none; }
.top nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem; margin: 0; padding: 0; list-style: none; }
.top nav a { display: inline-block; padding: 0.35rem 0.7rem; border-radius: 6px; color: #dbe7ff; text-decoration: none; }
.top nav a:hover { background: #1d3350; }
.top nav a[aria-current="page"] { background: #fff; color: #0d1b2a; font-weight: 600; }
.top .who { margin: 0 0 0 auto; color: #dbe7ff; }
.top .logout { margin-left: 0; }

main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
main.narrow { max-width: 34rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 0.75rem; }
h3 { font-size: 1.08rem; margin: 1.25rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 0 0 0.5rem; }
section { margin-bottom: 1rem; }

.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 0.75rem 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.cards .card { margin: 0; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0.5rem 1rem; align-items: end; }
.field { margin-bottom: 0.75rem; }
.field label, fieldset legend { display: block; font-weight: 600; margin-bottom: 0.2rem; }
.hint { color: var(--muted); font-size: 0.9rem; margin: 0.2rem 0; }
input, select, textarea { font: inherit; color: inherit; width: 100%; padding: 0.4rem 0.5rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
input[type="checkbox"] { width: auto; }
textarea { resize: vertical; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 0.75rem; padding: 0.5rem 0.75rem; }
label.check { display: inline-flex; align-items: center; gap: 0.35rem; margin-right: 1rem; font-weight: 400; }

button { font: inherit; cursor: pointer; padding: 0.4rem 0.85rem; border-radius: 6px; border: 1px solid #8c959f; background: #f3f4f6; color: var(--ink); }
button:hover { background: #e5e7eb; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); }
button.primary:hover { background: #0842a0; }
button.danger { color: var(--bad); border-color: var(--bad); background: #fff; }
button.small { padding: 0.2rem 0.55rem; font-size: 0.9rem; }
button[disabled] { opacity: 0.55; cursor: not-allowed; }
.actions { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }

.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { background: #eef1f4; font-size: 0.9rem; }
tr.selected td { background: #eef4ff; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }

.badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 999px; font-size: 0.82rem; font-weight: 600; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); }
.badge.neutral { color: var(--muted); background: #fff; }

.flash:not(:empty) { background: var(--ok-bg); color: var(--ok); border: 1px solid var(--ok); padding: 0.5rem 0.75rem; border-radius: 6px; margin-bottom: 0.75rem; }
.alert:not(:empty) { background: var(--bad-bg); color: var(--bad); border: 1px solid var(--bad); padding: 0.5rem 0.75rem; border-radius: 6px; margin-bottom: 0.75rem; }
.secret { background: var(--warn-bg); border: 2px solid var(--warn); color: var(--ink); border-radius: 8px; padding: 1rem; margin: 0.75rem 0; }
.secret input { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }

.summary { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem 1rem; }
.summary dt { font-weight: 600; color: var(--muted); }
.summary dd { margin: 0; }

.timeline { list-style: none; margin: 0; padding: 0 0 0 1rem; border-left: 3px solid var(--line); }
.timeline > li { position: relative; margin: 0 0 0.9rem; padding: 0.6rem 0.8rem; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.timeline > li::before { content: ""; position: absolute; left: -1.55rem; top: 0.9rem; width: 0.8rem; height: 0.8rem; border-radius: 50%; background: var(--accent); border: 2px solid var(--bg); }
.timeline .when { color: var(--muted); font-size: 0.88rem; margin-right: 0.5rem; }
.timeline .kind { font-weight: 700; margin-right: 0.5rem; }
.timeline ol, .timeline ul { margin: 0.4rem 0 0; padding-left: 1.25rem; }
.timeline li li { margin: 0.25rem 0; }

.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; }
figure.chart figcaption { font-weight: 600; margin-bottom: 0.25rem; }
.chart-canvas svg { width: 100%; height: auto; display: block; }
.chart-canvas .axis { stroke: #8c959f; stroke-width: 1; }
.chart-canvas .grid { stroke: #e5e7eb; stroke-width: 1; }
.chart-canvas text { font-size: 12px; fill: var(--muted); }
.bar-notifications { fill: var(--bar-notifications); }
.bar-deliveries { fill: var(--bar-deliveries); }
.bar-failures { fill: var(--bar-failures); }
.chart-table table { font-size: 0.85rem; }

@media (prefers-reduced-motion: no-preference) { button, a { transition: background-color 0.1s; } }
`;
