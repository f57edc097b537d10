// Small enhancements of the public pages; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function say(text) {
    var status = document.getElementById("copy-status");
    if (status) { status.textContent = text; }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on a local install: the older way, through a selection.
    var box = document.createElement("textarea");
    box.value = text;
    box.setAttribute("readonly", "");
    box.style.position = "absolute";
    box.style.left = "-9999px";
    document.body.appendChild(box);
    box.select();
    var done = document.execCommand("copy");
    document.body.removeChild(box);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      copyText(source.textContent.trim()).then(
        function () { say("Copied. Paste it somewhere safe."); },
        function () { say("Could not copy: select the code and copy it by hand."); }
      );
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
