// Compose form: warns when the chosen template (value "name|language") is in another language than the
// chosen list (data-language). The issue page repeats the warning from the server before sending.
(function () {
  var list = document.getElementById('list');
  var template = document.getElementById('template');
  var warning = document.getElementById('template-language');
  if (!list || !template || !warning) { return; }
  var primary = function (tag) { return (tag || '').split(/[_-]/)[0].toLowerCase(); };
  var check = function () {
    var l = list.options[list.selectedIndex];
    var t = template.options[template.selectedIndex];
    if (!l || !t) { warning.hidden = true; return; }
    var listLanguage = primary(l.getAttribute('data-language'));
    var value = t.value || '';
    var templateLanguage = primary(value.indexOf('|') >= 0 ? value.substring(value.indexOf('|') + 1) : '');
    warning.hidden = !listLanguage || !templateLanguage || listLanguage === templateLanguage;
  };
  list.addEventListener('change', check);
  template.addEventListener('change', check);
  check();
})();
