// Editorial calendar: single-key shortcuts (P previous, N next, T today, M month, W week)
// follow the links marked data-cal-key, unless the user is typing in a field.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName))) { return; }
    var link = document.querySelector('a[data-cal-key="' + event.key.toLowerCase() + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
