// Starts the NHS.UK frontend components and the site's small enhancements.
// Every page works without this script.
import { initAll } from './nhsuk/nhsuk-frontend.min.js';

initAll();

for (const button of document.querySelectorAll('.app-copy-link')) {
  const target = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector('.app-copy-status');
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(target.value);
      if (status) status.textContent = 'Link copied';
    } catch {
      target.select();
      if (status) status.textContent = 'Select the link and copy it';
    }
  });
}

for (const button of document.querySelectorAll('.app-print')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
