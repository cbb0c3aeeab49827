// The operator's day (templates/operators/manifest.html, checkin.html): the manifest's print button and
// the check-in's QR scanner. The scanner uses the browser's own BarcodeDetector (Chrome on Android, Safari
// on iOS 17+ behind no flag on recent versions); where it is missing the page stays a plain form where the
// code is typed: no library, no CDN. A code read from the camera or a photo fills the form and sends it.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var scanner = document.querySelector("[data-scanner]");
  var form = document.querySelector("[data-checkin-form]");
  if (!scanner || !form) { return; }
  var input = form.querySelector("input[name=code]");
  var status = scanner.querySelector("[data-scan-status]");
  var video = scanner.querySelector("[data-scan-video]");
  var startButton = scanner.querySelector("[data-scan-start]");
  var fileInput = scanner.querySelector("[data-scan-file]");
  var messages = document.querySelector("[data-scan-messages]");

  function message(key) {
    var node = messages && messages.content.querySelector('[data-msg="' + key + '"]');
    return node ? node.textContent : "";
  }
  function say(key) { status.textContent = message(key); }

  function found(value) {
    input.value = value;
    stop();
    form.submit();
  }

  var stream = null;
  var timer = null;
  function stop() {
    if (timer) { window.clearInterval(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
  }

  if (!("BarcodeDetector" in window)) {
    // No detector: the typed code is the way; say it once, above the form.
    scanner.hidden = false;
    startButton.hidden = true;
    scanner.querySelector("[data-scan-file-label]").hidden = true;
    say("unsupported");
    return;
  }
  var detector;
  try {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  } catch (e) {
    return;
  }
  scanner.hidden = false;

  startButton.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say("denied"); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return video.play();
      })
      .then(function () {
        say("looking");
        timer = window.setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (codes.length && codes[0].rawValue) { found(codes[0].rawValue); }
          }).catch(function () {});
        }, 250);
      })
      .catch(function () { stop(); say("denied"); });
  });

  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) { return; }
    window.createImageBitmap(file)
      .then(function (bitmap) { return detector.detect(bitmap); })
      .then(function (codes) {
        if (codes.length && codes[0].rawValue) { found(codes[0].rawValue); } else { say("none"); }
      })
      .catch(function () { say("none"); });
  });
})();
