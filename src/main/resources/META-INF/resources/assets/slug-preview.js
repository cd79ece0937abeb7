// Shows the public address while the workspace slug is typed.
(function () {
  var input = document.getElementById('slug');
  var out = document.getElementById('slug-preview');
  if (!input || !out) { return; }
  input.addEventListener('input', function () {
    out.textContent = out.getAttribute('data-base') + input.value.toLowerCase();
  });
})();
