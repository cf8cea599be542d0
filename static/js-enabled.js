// Marks the page as having JavaScript so the NHS.UK frontend styles its enhanced components.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
