// share.js: the browser's own share sheet (Web Share), where it has one, for
// the share button of src/view/view.c. Without it, or without JavaScript, the
// WhatsApp, text message, email and copy-link choices beside it do the same.
(function () {
  if (typeof navigator.share !== 'function') return;
  var buttons = document.querySelectorAll('.app-web-share');
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    var data = { title: button.dataset.title, text: button.dataset.text, url: button.dataset.url };
    if (navigator.canShare && !navigator.canShare(data)) continue;
    button.hidden = false;
    button.addEventListener('click', function (e) {
      var b = e.currentTarget;
      // A person who closes the sheet rejects the promise: nothing to do.
      navigator.share({ title: b.dataset.title, text: b.dataset.text, url: b.dataset.url }).catch(function () {});
    });
  }
})();
