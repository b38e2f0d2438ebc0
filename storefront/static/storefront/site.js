// The storefront's only script (no framework): search type-ahead and the address pickers.
// Pages work without it: the search form submits, the pickers reload with the form.
(function () {
  "use strict";
  function debounce(fn, ms) { var t; return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); }; }

  var form = document.querySelector("form.search[data-suggest]");
  if (form) {
    var input = form.querySelector("input[name=q]"), list = document.getElementById("suggestions");
    var ask = debounce(function () {
      var q = input.value.trim();
      if (!q) { list.hidden = true; list.innerHTML = ""; return; }
      fetch(form.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.innerHTML = "";
          (data.suggestions || []).forEach(function (s) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = s.url; a.textContent = s.text; li.appendChild(a); list.appendChild(li);
          });
          list.hidden = !list.children.length;
        }).catch(function () { list.hidden = true; });
    }, 200);
    input.addEventListener("input", ask);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !list.hidden) { e.preventDefault(); list.querySelector("a").focus(); }
      if (e.key === "Escape") { list.hidden = true; }
    });
    list.addEventListener("keydown", function (e) {
      var cur = document.activeElement.parentNode;
      if (e.key === "ArrowDown" && cur.nextSibling) { e.preventDefault(); cur.nextSibling.firstChild.focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (cur.previousSibling ? cur.previousSibling.firstChild : input).focus(); }
      if (e.key === "Escape") { list.hidden = true; input.focus(); }
    });
  }

  var address = document.querySelector("form[data-divisions]");
  if (address) {
    var province = address.querySelector("[data-level=province]");
    var city = address.querySelector("[data-level=city]");
    var district = address.querySelector("[data-level=district]");
    var fill = function (select, names) {
      var first = select.options[0];
      select.innerHTML = ""; select.appendChild(first);
      names.forEach(function (n) { var o = document.createElement("option"); o.value = o.textContent = n; select.appendChild(o); });
      select.value = "";
    };
    var load = function (params, key, select) {
      return fetch(address.dataset.divisions + "?" + new URLSearchParams(params))
        .then(function (r) { return r.json(); })
        .then(function (data) { fill(select, data[key] || []); });
    };
    province.addEventListener("change", function () {
      fill(district, []);
      load({ province: province.value }, "cities", city);
    });
    city.addEventListener("change", function () {
      load({ province: province.value, city: city.value }, "districts", district);
    });
  }

  // Flash-sale countdowns: the seconds left, ticking; the page reloads when the sale starts.
  var timers = document.querySelectorAll("[data-countdown]");
  if (timers.length) {
    var started = Date.now();
    setInterval(function () {
      timers.forEach(function (el) {
        var left = Math.max(0, Math.round(+el.dataset.countdown - (Date.now() - started) / 1000));
        var m = Math.floor(left / 60), s = left % 60;
        el.textContent = (m ? m + ":" + (s < 10 ? "0" : "") + s : s + "s");
        if (left === 0 && !el.dataset.done) { el.dataset.done = "1"; location.reload(); }
      });
    }, 1000);
  }
})();
