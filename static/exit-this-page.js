// Quick exit ("Exit this page", hazard H5), after GOV.UK's exit-this-page
// component. Without JavaScript the button is a plain link to a neutral page.
// With it, the button and the Shift key pressed 3 times within 5 seconds hide
// the page at once and replace it, and its entry in the browser history, with
// the neutral page: Back does not return to it.
(function () {
  'use strict';
  var root = document.querySelector('.app-exit-this-page');
  if (!root) return;
  var link = root.querySelector('a');
  var hint = root.querySelector('.app-exit-this-page__hint');
  if (!link) return;
  var presses = 0;
  var timer = null;

  function exit(event) {
    if (event) event.preventDefault();
    document.body.hidden = true;
    document.title = 'Exiting';
    window.location.replace(link.href);
  }

  link.addEventListener('click', exit);
  document.addEventListener('keyup', function (event) {
    if (event.key !== 'Shift') {
      presses = 0;
      return;
    }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) exit();
  });
  if (hint) hint.hidden = false;
})();
