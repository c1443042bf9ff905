/* django-celery-beat's periodic task form: shows the chosen crontab in words
   under the field (its own inline script, moved here for the CSP). */
(function () {
  "use strict";
  var script = document.currentScript;
  var help = script ? script.dataset.help || "" : "";
  function start() {
    var $ = window.django && window.django.jQuery;
    var data = document.getElementById("readable-crontabs");
    if (!$ || !data) return;
    var readable = JSON.parse(data.textContent);
    $(".field-crontab_translation").hide();
    $(".field-crontab").change(function () {
      var text = readable[$("#id_crontab").val()] || "";
      var box = $(".field-crontab .help");
      box.text(help);
      if (text) box.append(document.createElement("br"), document.createTextNode("خوانش: " + text));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
