// harmnet page behaviour (no inline scripts: strict CSP). Submits the snapshot switcher on change.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var select = document.getElementById('snapshot-select');
  if (select && select.form) {
    select.addEventListener('change', function () {
      select.form.submit();
    });
  }
});
