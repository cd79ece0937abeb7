// Issue pages: the compose form's variables and preview bubble, and live progress on the issue page
// (app.js asks before the cancel form is sent).
(function () {
  var select = document.getElementById('template');
  if (select) {
    var preview = document.getElementById('preview');
    var text = document.getElementById('text');
    var params = document.querySelectorAll('#parameters .param');
    var render = function () {
      var opt = select.options[select.selectedIndex];
      var count = opt ? parseInt(opt.getAttribute('data-count'), 10) || 0 : 0;
      var body = opt ? opt.getAttribute('data-body') || '' : '';
      var names = [];
      for (var i = 0; i < params.length; i++) {
        params[i].hidden = i >= count;
      }
      var out = body.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, function (m, name) {
        var idx = names.indexOf(name);
        if (idx < 0) { names.push(name); idx = names.length - 1; }
        var input = document.getElementById('p' + (idx + 1));
        return input && input.value ? input.value : m;
      });
      if (text && text.value.trim() !== '') { out = text.value; }
      preview.textContent = out;
    };
    select.addEventListener('change', render);
    document.getElementById('compose').addEventListener('input', render);
    render();
  }
  var live = document.getElementById('live');
  var status = document.getElementById('status');
  if (live && status) {
    var active = ['PREPARING', 'SENDING', 'SCHEDULED', 'BLOCKED'];
    var poll = function () {
      if (active.indexOf(status.getAttribute('data-status')) < 0) { return; }
      fetch(live.getAttribute('data-url'), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) {
          if (!v) { return; }
          var cells = live.querySelectorAll('[data-count]');
          for (var i = 0; i < cells.length; i++) {
            var k = cells[i].getAttribute('data-count');
            if (v.counts[k] !== undefined) { cells[i].textContent = v.counts[k]; }
          }
          // Preparing the audience: members decided of the list's members, eligible and excluded so far.
          var prep = document.getElementById('preparing');
          if (prep && v.preparation) {
            if (v.preparation.done) { window.location.reload(); return; }
            var prepBar = document.getElementById('prep-bar');
            prepBar.max = v.preparation.members;
            prepBar.value = v.preparation.decided;
            var prepCells = prep.querySelectorAll('[data-prep]');
            for (var j = 0; j < prepCells.length; j++) {
              prepCells[j].textContent = v.preparation[prepCells[j].getAttribute('data-prep')];
            }
          }
          var bar = document.getElementById('bar');
          bar.max = v.counts.total;
          bar.value = v.counts.total - v.counts.pending - v.counts.awaiting;
          if (v.status !== status.getAttribute('data-status')) { window.location.reload(); return; }
          window.setTimeout(poll, 2000);
        });
    };
    window.setTimeout(poll, 2000);
  }
})();
