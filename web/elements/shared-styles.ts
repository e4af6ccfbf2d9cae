// Styles every element shares: the theme's custom properties come from web/theme.css
// (they inherit into shadow roots); these are the controls built on them.
import { css } from 'lit'

export const shared = css`
  :host { color: var(--fg); font: var(--font); }
  * { box-sizing: border-box; }
  button, select, input, textarea {
    font: inherit; color: var(--fg); background: var(--bg-raised); border: 1px solid var(--border);
    border-radius: 6px; padding: 6px 10px; min-height: 34px;
  }
  button { cursor: pointer; }
  button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
  button.danger { background: var(--danger); color: var(--danger-fg); border-color: var(--danger); }
  button:disabled { opacity: .55; cursor: default; }
  :is(button, select, input, textarea, a, [tabindex]):focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
  a { color: var(--link); }
  label { display: inline-flex; flex-direction: column; gap: 2px; font-size: .85rem; color: var(--fg-muted); }
  h1, h2, h3 { margin: 0 0 .5rem; line-height: 1.2; }
  h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; } h3 { font-size: 1rem; }
  .muted { color: var(--fg-muted); }
  .card { background: var(--bg-raised); border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px; }
  .sev { display: inline-block; min-width: 5.5em; text-align: center; border-radius: 4px; padding: 1px 6px; font-size: .8rem; font-weight: 600; color: var(--sev-fg); }
  .sev-critical { background: var(--sev-critical); } .sev-high { background: var(--sev-high); }
  .sev-medium { background: var(--sev-medium); color: var(--sev-medium-fg); } .sev-low { background: var(--sev-low); } .sev-unknown { background: var(--sev-unknown); }
  .error { color: var(--danger); }
  .state { font-weight: 600; } .state-online { color: var(--ok); } .state-revoked { color: var(--danger); } .state-stale { color: var(--warn); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  code, .mono { font-family: var(--mono); font-size: .88em; overflow-wrap: anywhere; }
`
