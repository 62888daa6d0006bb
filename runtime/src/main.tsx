/// <reference lib="dom" />
// The enterprise runtime's entry: mounts the application on #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { storedLocale, translate } from './i18n.tsx';
import './styles.css';

const locale = storedLocale();
document.documentElement.lang = locale === 'en' ? 'en' : 'zh-CN';
document.title = translate(locale, 'app.title');

// antd's icons name themselves in English ("eye-invisible", "caret-down", "info-circle"…), which screen
// readers would read inside Chinese labels. Every icon here is decorative (the controls carry their own
// labels), so each one is hidden from assistive technology as it appears.
const hideIcon = (el: Element) => el.setAttribute('aria-hidden', 'true');
new MutationObserver((mutations) => {
  for (const m of mutations)
    m.addedNodes.forEach((n) => {
      if (!(n instanceof Element)) return;
      if (n.matches('.anticon')) hideIcon(n);
      n.querySelectorAll('.anticon:not([aria-hidden])').forEach(hideIcon);
    });
}).observe(document.body, { childList: true, subtree: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
