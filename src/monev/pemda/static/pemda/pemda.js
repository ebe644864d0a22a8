// "Unduh PNG": draw a chart's inline SVG on a canvas at twice its size and save it as PNG.
// Everything happens in the browser; the SVG is the same one the server sends as a file.
(function () {
  "use strict";
  function save(button) {
    var svg = document.getElementById(button.dataset.png);
    if (!svg) { return; }
    var width = svg.viewBox.baseVal.width || svg.clientWidth;
    var height = svg.viewBox.baseVal.height || svg.clientHeight;
    var text = new XMLSerializer().serializeToString(svg);
    var image = new Image();
    image.onload = function () {
      var scale = 2;
      var canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = button.dataset.file || "grafik.png";
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-png]");
    if (button) { save(button); }
  });
})();
