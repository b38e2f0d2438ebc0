/* The workbench's own small behaviours (htmx does the round trips):
   - the organisation switcher submits on change;
   - [data-confirm] buttons ask before submitting;
   - the grading form shows its mass balance as it is typed ([data-mass-balance]). The
     rule is checked again, and decided, by the grading service when the form is sent;
   - a page sent back with a refusal opens on it (a long page's form may sit below the
     fold, or in a closed <details>), unless its address already names a place. */
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

  // Kilograms as integers of grams, so that 0.1 + 0.2 adds up exactly.
  function grams(input) {
    var value = parseFloat((input.value || "").replace(",", "."));
    return isFinite(value) && value > 0 ? Math.round(value * 1000) : 0;
  }
  function kg(g) { return (g / 1000).toFixed(3).replace(/\.?0+$/, ""); }
  function sum(form, kind) {
    var total = 0;
    form.querySelectorAll('[data-balance="' + kind + '"]').forEach(function (input) {
      total += grams(input);
    });
    return total;
  }
  function showBalance(form) {
    var status = form.querySelector("[data-balance-status]");
    if (!status) return;
    var inn = sum(form, "in"), out = sum(form, "out"), loss = sum(form, "loss");
    var left = inn - out - loss;
    var template = left < 0 ? status.dataset.over : left === 0 ? status.dataset.ok : status.dataset.left;
    status.textContent = template.replace("{in}", kg(inn)).replace("{out}", kg(out))
      .replace("{loss}", kg(loss)).replace("{left}", kg(left));
    status.classList.toggle("over", left < 0);
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest("[data-mass-balance]");
    if (form) showBalance(form);
  });
  function showFirstRefusal() {
    if (location.hash) return;
    var error = document.querySelector("main .form-error, main .has-error");
    if (!error) return;
    for (var d = error.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    // Centred when it starts in the lower half, where the bottom navigation and the
    // form's further fields would hide what else was refused.
    var tabs = document.querySelector(".wb-tabs");
    var visible = window.innerHeight - (tabs ? tabs.offsetHeight : 0);
    var top = error.getBoundingClientRect().top;
    if (top < 0 || top > visible / 2) error.scrollIntoView({block: "center"});
  }
  document.addEventListener("DOMContentLoaded", function () {
    showFirstRefusal();
    document.querySelectorAll("[data-mass-balance]").forEach(function (form) {
      if (form.querySelector("[data-balance] [value], [data-balance][value]")) showBalance(form);
    });
  });
})();
