/* Shipping with codes: each package's QR code is read by the phone's camera (the
   browser's BarcodeDetector where there is one, else jsQR, served by the project and
   loaded only when the camera starts) or typed; each code is sent at once to the server,
   which checks it with the shipping service and answers with its refusal, if any. The
   accepted codes travel with the form (one per line in a hidden textarea). */
(function () {
  "use strict";
  var script = document.currentScript;
  var messages = script.dataset;
  var jsqrLoading = null;

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqrLoading) {
      jsqrLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = messages.jsqr;
        tag.onload = function () { resolve(window.jsQR); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return jsqrLoading;
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function Line(box) {
    this.box = box;
    this.quantity = parseInt(box.dataset.quantity, 10) || 0;
    this.codesField = box.querySelector("[data-scan-codes]");
    this.list = box.querySelector("[data-scan-list]");
    this.count = box.querySelector("[data-scan-count]");
    this.error = box.querySelector("[data-scan-error]");
    this.typed = box.querySelector("[data-scan-type]");
    this.view = box.querySelector("[data-scan-view]");
    this.video = box.querySelector("video");
    this.pending = {};
    this.codes = this.codesField.value.split(/\s+/).filter(Boolean);
    this.render();
    var self = this;
    box.querySelector("[data-scan-add]").addEventListener("click", function () {
      self.submit(self.typed.value);
    });
    this.typed.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); self.submit(self.typed.value); }
    });
    box.querySelector("[data-scan-camera]").addEventListener("click", function () { self.start(); });
    box.querySelector("[data-scan-stop]").addEventListener("click", function () { self.stop(); });
  }

  Line.prototype.render = function () {
    this.codesField.value = this.codes.join("\n");
    this.count.textContent = String(this.codes.length);
    this.list.innerHTML = "";
    var self = this;
    this.codes.forEach(function (code) {
      var li = document.createElement("li");
      li.className = "code-ok";
      li.textContent = "✓ " + code;
      self.list.appendChild(li);
    });
  };

  Line.prototype.fail = function (message) {
    this.error.textContent = message;
    this.error.hidden = !message;
  };

  Line.prototype.submit = function (text) {
    text = (text || "").trim();
    if (!text || this.pending[text]) return;
    if (this.codes.length >= this.quantity) { this.fail(messages.msgFull); return; }
    this.pending[text] = true;
    var self = this;
    var body = new URLSearchParams({ line: this.box.dataset.scanLine, code: text,
                                     codes: this.codes.join(" ") });
    fetch(this.box.dataset.checkUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }
    }).then(function (response) { return response.json(); }).then(function (answer) {
      delete self.pending[text];
      if (answer.ok) {
        self.codes.push(answer.code);
        self.fail("");
        self.typed.value = "";
        self.render();
        if (navigator.vibrate) navigator.vibrate(60);
        if (self.codes.length >= self.quantity) self.stop();
      } else {
        self.fail(answer.message);
      }
    }).catch(function () { delete self.pending[text]; });
  };

  Line.prototype.start = function () {
    var self = this;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.fail(messages.msgCamera); return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        self.stream = stream;
        self.video.srcObject = stream;
        self.view.hidden = false;
        return self.video.play();
      })
      .then(function () { return self.decoder(); })
      .then(function (decode) { self.decode = decode; self.loop(); })
      .catch(function () { self.stop(); self.fail(messages.msgCamera); });
  };

  Line.prototype.decoder = function () {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return Promise.resolve(function (video) {
        return detector.detect(video).then(function (found) {
          return found.length ? found[0].rawValue : null;
        });
      });
    }
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return loadJsQR().then(function (jsQR) {
      return function (video) {
        var width = video.videoWidth, height = video.videoHeight;
        if (!width || !height) return Promise.resolve(null);
        canvas.width = width; canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        var image = context.getImageData(0, 0, width, height);
        var found = jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  };

  Line.prototype.loop = function () {
    var self = this;
    if (!this.stream) return;
    this.decode(this.video).then(function (text) {
      if (text && text !== self.last) { self.last = text; self.submit(text); }
      setTimeout(function () { self.loop(); }, 250);
    }).catch(function () { setTimeout(function () { self.loop(); }, 500); });
  };

  Line.prototype.stop = function () {
    if (this.stream) this.stream.getTracks().forEach(function (track) { track.stop(); });
    this.stream = null;
    this.view.hidden = true;
  };

  document.querySelectorAll("[data-scan-line]").forEach(function (box) {
    if (box.querySelector("[data-scan-codes]")) new Line(box);
  });
})();
