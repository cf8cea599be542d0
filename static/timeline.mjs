// Opens the folded earlier and later events while the timeline is printed, so the paper
// copy is complete, and folds them again afterwards. The page works without it.
const folded = [...document.querySelectorAll('details.app-timeline-fold')];
let wasOpen = [];
window.addEventListener('beforeprint', () => {
  wasOpen = folded.map((d) => d.open);
  for (const d of folded) d.open = true;
});
window.addEventListener('afterprint', () => {
  folded.forEach((d, i) => { d.open = wasOpen[i] ?? false; });
});
