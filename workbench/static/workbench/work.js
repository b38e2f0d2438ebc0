/* The workbench's own small behaviours (htmx does the round trips):
   - the organisation switcher submits on change;
   - [data-confirm] buttons ask before submitting. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });
})();
