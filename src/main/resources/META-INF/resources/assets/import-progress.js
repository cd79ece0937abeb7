// Import progress page: reloads itself every two seconds while the import is waiting or running.
(function () {
  var job = document.getElementById('import-job');
  if (!job) { return; }
  var state = job.getAttribute('data-state');
  if (state === 'QUEUED' || state === 'RUNNING') {
    window.setTimeout(function () { window.location.reload(); }, 2000);
  }
})();
