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

// Drafts of the members' forms (not the public pages': their layout has no data-drafts). When a form is sent, its
// entries are kept in this tab's sessionStorage; never hidden fields (the form token), passwords, files or anything
// inside [data-no-draft] (access tokens, secrets). If the login session had ended, the post is redirected to the
// login and its body is lost; afterwards web.LoginReturn brings the browser back to the form's page marked
// #session-renewed, and only then are the entries filled in again, with a message; nothing is sent by itself.
// Any other page shown drops the draft (the form was sent, or left), and a draft older than 30 minutes is ignored.
(function () {
  var KEY = 'consentcast.draft';
  var MARKER = '#session-renewed';
  var MAX_AGE_MS = 30 * 60 * 1000;
  var SKIPPED = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };
  if (!document.body || !document.body.hasAttribute('data-drafts')) { return; }
  var storage;
  try { storage = window.sessionStorage; storage.getItem(KEY); } catch (e) { return; }

  function here() { return location.pathname + location.search; }
  // The attribute, not form.action: a field named "action" (the compose form's buttons) shadows that property.
  function actionOf(form) {
    var url = new URL(form.getAttribute('action') || location.href, location.href);
    return url.pathname + url.search;
  }
  function posted(form) { return (form.getAttribute('method') || '').toLowerCase() === 'post'; }
  function secret(el) { return el.type === 'password' || !!el.closest('[data-no-draft]'); }
  function kept(el) { return el.name && !el.disabled && !SKIPPED[el.type] && !secret(el); }
  function withAction(action) {
    var all = document.querySelectorAll('form');
    var out = [];
    for (var i = 0; i < all.length; i++) {
      if (posted(all[i]) && actionOf(all[i]) === action) { out.push(all[i]); }
    }
    return out;
  }
  function named(form, name) {
    var out = [];
    for (var i = 0; i < form.elements.length; i++) {
      if (form.elements[i].name === name) { out.push(form.elements[i]); }
    }
    return out;
  }

  function save(form) {
    var fields = [];
    var counts = {};
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name) { continue; }
      var index = counts[el.name] = (counts[el.name] === undefined ? 0 : counts[el.name] + 1);
      if (!kept(el)) { continue; }
      var field = { n: el.name, i: index };
      if (el.type === 'checkbox' || el.type === 'radio') {
        field.c = el.checked;
      } else if (el.type === 'select-multiple') {
        field.m = [];
        for (var o = 0; o < el.options.length; o++) { if (el.options[o].selected) { field.m.push(el.options[o].value); } }
      } else {
        field.v = el.value;
      }
      fields.push(field);
    }
    try {
      storage.setItem(KEY, JSON.stringify({ page: here(), action: actionOf(form),
        form: withAction(actionOf(form)).indexOf(form), fields: fields, savedAt: Date.now() }));
    } catch (e) { /* storage full or refused: the form is sent as it is */ }
  }

  function restore(draft) {
    var form = draft.action === null ? null : withAction(draft.action)[draft.form];
    var restored = 0;
    if (form) {
      for (var i = 0; i < draft.fields.length; i++) {
        var f = draft.fields[i];
        var el = named(form, f.n)[f.i];
        if (!el || !kept(el)) { continue; }
        if (f.c !== undefined) {
          el.checked = f.c;
        } else if (f.m) {
          for (var o = 0; o < el.options.length; o++) { el.options[o].selected = f.m.indexOf(el.options[o].value) >= 0; }
        } else {
          el.value = f.v;
        }
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
        restored++;
      }
    }
    var texts = document.getElementById('draft-texts');
    var main = document.getElementById('main');
    if (!texts || !main) { return; }
    var message = texts.content.firstElementChild.cloneNode(true);
    var text = message.getAttribute(restored > 0 ? 'data-restored' : 'data-not-restored');
    if (form && form.querySelector('input[type=password], [data-no-draft]')) {
      text += ' ' + message.getAttribute('data-secrets');
    }
    message.textContent = text;
    main.insertBefore(message, main.firstChild);
    if (form) { form.setAttribute('data-draft-restored', String(restored)); }
  }

  var draft = null;
  try { draft = JSON.parse(storage.getItem(KEY)); } catch (e) { draft = null; }
  storage.removeItem(KEY);
  if (location.hash === MARKER) {
    history.replaceState(null, '', here());
    if (draft && draft.page === here() && Date.now() - draft.savedAt < MAX_AGE_MS) {
      restore(draft);
    } else {
      restore({ action: null, form: -1, fields: [] }); // the entries are gone: say so, and that nothing was sent
    }
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!e.defaultPrevented && form.tagName === 'FORM' && posted(form)) { save(form); }
  });
})();
