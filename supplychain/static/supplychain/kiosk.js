/* The touch-screen kiosk: the on-screen keys type into the code field, the field keeps
   the focus so that a USB barcode scanner (which types and presses Enter) always lands in
   it, and after a minute without a touch the screen goes back to its idle page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var idleMs = (parseInt(script.getAttribute("data-idle-seconds"), 10) || 60) * 1000;
  var home = script.getAttribute("data-idle-url");
  var CODE_LENGTH = 16;
  var timer = null;

  function backHome() {
    var input = document.getElementById("code");
    if (location.pathname === home && !location.search && (!input || !input.value)) {
      restart();
      return;
    }
    location.replace(home);
  }

  function restart() {
    clearTimeout(timer);
    timer = setTimeout(backHome, idleMs);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("code");
    ["pointerdown", "touchstart", "keydown", "wheel", "scroll"].forEach(function (name) {
      document.addEventListener(name, restart, {passive: true, capture: true});
    });
    restart();
    if (!input) return;
    input.focus();
    // Back into the field after any touch that is not on a link or a control.
    document.addEventListener("pointerup", function (event) {
      if (!event.target.closest("a, button, input")) input.focus();
    });
    document.querySelectorAll("[data-key]").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-key");
        if (key === "back") {
          input.value = input.value.slice(0, -1);
        } else if (key === "clear") {
          input.value = "";
        } else if (key === "enter") {
          if (input.value) input.form.submit();
          return;
        } else if (input.value.length < CODE_LENGTH) {
          input.value += key;
        }
        input.focus();
      });
    });
  });
})();
