// `cuecard serve`'s preview script: the one thing the preview adds to the
// published page (a `<script src>` under /_cuecard/, so the page's policy,
// script-src 'self' and connect-src 'self', holds as published). It runs
// before the app: the app keeps nothing offline in a preview. It listens
// for builds (EventSource), reloads the page when a build published
// (query and open article survive in sessionStorage and the address, the
// scroll position here), and lists the last build's findings in a panel.
(() => {
  window.cuecardPreview = true;
  // A service worker left by a published copy on this origin would serve old files.
  navigator.serviceWorker?.getRegistrations?.().then((all) => all.forEach((r) => r.unregister()));

  const SCROLL_KEY = 'cuecard.preview.scroll';
  let published = null;

  const scrollers = () => [document.scrollingElement, document.querySelector('main'), document.querySelector('article')];

  function keepScroll() {
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify(scrollers().map((e) => (e ? e.scrollTop : 0))));
  }

  function restoreScroll() {
    const saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || 'null');
    if (!saved) return;
    sessionStorage.removeItem(SCROLL_KEY);
    let tries = 0;
    const apply = () => {
      const elements = scrollers();
      elements.forEach((e, i) => e && saved[i] && (e.scrollTop = saved[i]));
      const done = elements.every((e, i) => !saved[i] || (e && Math.abs(e.scrollTop - saved[i]) < 2));
      if (!done && (tries += 1) < 100) setTimeout(apply, 50);
    };
    apply();
  }

  function element(tag, text, style = {}) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.assign(node.style, style);
    return node;
  }

  function render(state) {
    document.getElementById('cuecard-preview-findings')?.remove();
    if (state.findings.length === 0) return;
    const panel = element('section', '', {
      position: 'fixed', right: '0.5rem', bottom: '2.5rem', maxWidth: '28rem', maxHeight: '40vh', overflow: 'auto',
      background: 'Canvas', color: 'CanvasText', border: '2px solid #c0392b', borderRadius: '6px', padding: '0.5rem 0.75rem',
      font: '0.85rem/1.35 system-ui, sans-serif', zIndex: '1000', boxShadow: '0 2px 12px rgba(0,0,0,.25)',
    });
    panel.id = 'cuecard-preview-findings';
    panel.setAttribute('role', 'region');
    panel.setAttribute('aria-label', 'Preview findings');
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    panel.append(element('h2', `Last build: ${plural(state.errors, 'error')}, ${plural(state.warnings, 'warning')}`, { fontSize: '0.95rem', margin: '0 0 0.3rem' }));
    if (state.errors > 0) {
      panel.append(element('p', 'Not published: the preview shows the last good build.', { margin: '0 0 0.3rem', fontWeight: '600' }));
    }
    const list = element('ul', '', { margin: '0', paddingLeft: '1.1rem' });
    for (const finding of state.findings) {
      const item = element('li');
      const where = `${finding.file}${finding.line ? `:${finding.line}` : ''}: ${finding.severity}: ${finding.message}`;
      if (finding.id) {
        const link = element('a', where);
        link.href = `?locale=${encodeURIComponent(finding.locale)}#/a/${finding.id.split('/').map(encodeURIComponent).join('/')}`;
        item.append(link);
      } else {
        item.textContent = where;
      }
      list.append(item);
    }
    panel.append(list);
    document.body.append(panel);
  }

  async function refresh() {
    const response = await fetch('/_cuecard/findings.json', { cache: 'no-store' });
    const state = await response.json();
    if (published !== null && state.published !== published) {
      keepScroll();
      location.reload();
      return;
    }
    published = state.published;
    render(state);
  }

  const events = new EventSource('/_cuecard/events');
  events.addEventListener('build', () => refresh());
  const start = () => {
    refresh();
    restoreScroll();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
