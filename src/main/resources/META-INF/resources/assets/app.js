// Behaviour every page shares, in a file rather than inline handlers (the Content-Security-Policy allows
// scripts from this origin only): select a read-only link on focus, print buttons, confirmation of
// destructive forms (data-confirm holds the question in the page's language).
(function () {
  var selectable = document.querySelectorAll('[data-select-on-focus]');
  for (var i = 0; i < selectable.length; i++) {
    selectable[i].addEventListener('focus', function () { this.select(); });
  }
  var print = document.querySelectorAll('[data-print]');
  for (var p = 0; p < print.length; p++) {
    print[p].addEventListener('click', function () { window.print(); });
  }
  var confirmed = document.querySelectorAll('form[data-confirm]');
  for (var c = 0; c < confirmed.length; c++) {
    confirmed[c].addEventListener('submit', function (e) {
      if (!window.confirm(this.getAttribute('data-confirm'))) { e.preventDefault(); }
    });
  }
})();
