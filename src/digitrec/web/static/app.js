// digitrec's page: every way to give a digit (file, drop, paste, camera, drawing), read without a page reload.
// The result is rendered by the server (the same template the no-JavaScript form post renders) and swapped in.
"use strict";

document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload-form");
  const fileInput = document.getElementById("file");
  const cameraInput = document.getElementById("camera");
  const dropZone = document.getElementById("drop-zone");
  const localPreview = document.getElementById("local-preview");
  const result = document.getElementById("result");
  const pad = document.getElementById("pad");
  const brush = document.getElementById("brush");
  let lastImage = null; // the last image sent: re-read when the mode or model changes
  let pending = null; // the request in flight, aborted when a newer one starts

  function mode() {
    return form.querySelector('input[name="mode"]:checked').value;
  }

  function showPreview(blob) {
    if (localPreview.src) URL.revokeObjectURL(localPreview.src);
    localPreview.src = URL.createObjectURL(blob);
    localPreview.alt = "Preview of the image being read";
    localPreview.hidden = false;
  }

  async function read(blob, name) {
    lastImage = { blob, name };
    if (pending) pending.abort();
    pending = new AbortController();
    const body = new FormData(form);
    body.delete("image");
    body.set("image", blob, name);
    result.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { "X-Fragment": "result" },
        signal: pending.signal,
      });
      const html = await response.text();
      // The server's rendering of our own template (autoescaped); an error page would be a whole document.
      result.innerHTML = response.headers.get("X-Fragment") === "result" ? html : errorHtml(response.status);
    } catch (error) {
      if (error.name === "AbortError") return;
      result.innerHTML = errorHtml(0);
    } finally {
      result.setAttribute("aria-busy", "false");
    }
  }

  function errorHtml(status) {
    const text =
      status === 413
        ? "That file is too large: the limit is 10 MB."
        : status === 0
          ? "Could not reach the server. Check the connection and try again."
          : "That did not work (error " + status + "). Try another image.";
    return '<div class="verdict" id="verdict" data-status="error"><p class="message" role="alert">' + text + "</p></div>";
  }

  function readFile(file) {
    if (!file) return;
    showPreview(file);
    read(file, file.name || "image").then(() => {
      // On a phone the answer is below the drop zone: bring it into view.
      if (window.matchMedia("(max-width: 800px)").matches) result.scrollIntoView({ block: "start" });
    });
  }

  // Files: the picker, the camera, drag and drop, paste.
  fileInput.addEventListener("change", () => readFile(fileInput.files[0]));
  cameraInput.addEventListener("change", () => readFile(cameraInput.files[0]));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (fileInput.files[0]) readFile(fileInput.files[0]);
    else if (lastImage) read(lastImage.blob, lastImage.name);
    else fileInput.click();
  });
  ["dragenter", "dragover"].forEach((type) =>
    dropZone.addEventListener(type, (event) => {
      event.preventDefault();
      dropZone.classList.add("dragging");
    }),
  );
  ["dragleave", "drop"].forEach((type) =>
    dropZone.addEventListener(type, () => dropZone.classList.remove("dragging")),
  );
  // A file dropped anywhere on the page is read (the browser would otherwise open it in place of the page).
  document.addEventListener("dragover", (event) => event.preventDefault());
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    if (event.dataTransfer && event.dataTransfer.files.length) readFile(event.dataTransfer.files[0]);
  });
  document.addEventListener("paste", (event) => {
    const item = [...event.clipboardData.items].find((entry) => entry.kind === "file");
    if (item) {
      event.preventDefault();
      readFile(item.getAsFile());
    }
  });
  form.querySelectorAll('input[name="mode"], select[name="model"]').forEach((input) =>
    input.addEventListener("change", () => {
      resizePad();
      if (lastImage && lastImage.drawn) readDrawing();
      else if (lastImage) read(lastImage.blob, lastImage.name);
    }),
  );

  // Drawing: pointer events cover mouse, touch and pen. Strokes are kept as point lists so undo can redraw.
  const context = pad.getContext("2d");
  let strokes = [];
  let current = null;
  let readTimer = null;

  function resizePad() {
    const wide = mode() === "number";
    pad.classList.toggle("wide", wide);
    const ratio = window.devicePixelRatio || 1;
    const width = pad.clientWidth || 280;
    const height = wide ? width / 3 : width;
    pad.width = Math.round(width * ratio);
    pad.height = Math.round(height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    redraw();
  }

  function drawStroke(stroke) {
    context.lineWidth = stroke.size;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";
    context.fillStyle = "#000";
    const [first, ...rest] = stroke.points;
    if (rest.length === 0) {
      context.beginPath();
      context.arc(first.x, first.y, stroke.size / 2, 0, 2 * Math.PI);
      context.fill();
      return;
    }
    context.beginPath();
    context.moveTo(first.x, first.y);
    rest.forEach((point) => context.lineTo(point.x, point.y));
    context.stroke();
  }

  function redraw() {
    // A transparent background, as a browser canvas export is: the server composites it correctly.
    context.clearRect(0, 0, pad.width, pad.height);
    strokes.forEach(drawStroke);
  }

  function point(event) {
    const rect = pad.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function brushSize() {
    // The slider is in pixels of a 280-pixel-high pad: strokes scale with the height digits are written in.
    return (Number(brush.value) * (pad.clientHeight || 280)) / 280;
  }

  pad.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    clearTimeout(readTimer);
    current = { size: brushSize(), points: [point(event)] };
    strokes.push(current);
    redraw();
  });
  pad.addEventListener("pointermove", (event) => {
    if (!current) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    (events.length ? events : [event]).forEach((item) => current.points.push(point(item)));
    redraw();
  });
  function endStroke() {
    if (!current) return;
    current = null;
    clearTimeout(readTimer);
    readTimer = setTimeout(readDrawing, 350);
  }
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);

  function readDrawing() {
    clearTimeout(readTimer);
    pad.toBlob((blob) => {
      localPreview.hidden = true;
      read(blob, "drawing.png");
      lastImage.drawn = true;
    }, "image/png");
  }

  document.getElementById("read-drawing").addEventListener("click", readDrawing);
  document.getElementById("undo").addEventListener("click", () => {
    strokes.pop();
    redraw();
    readDrawing();
  });
  document.getElementById("clear").addEventListener("click", () => {
    strokes = [];
    redraw();
  });
  pad.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "z") {
      event.preventDefault();
      document.getElementById("undo").click();
    }
  });
  window.addEventListener("resize", () => {
    const before = pad.clientWidth;
    if (Math.round(before * (window.devicePixelRatio || 1)) !== pad.width) {
      // Keep the drawing where it was relative to the pad when the pad changes size.
      const scale = before / (pad.width / (window.devicePixelRatio || 1));
      strokes.forEach((stroke) => {
        stroke.size *= scale;
        stroke.points.forEach((p) => {
          p.x *= scale;
          p.y *= scale;
        });
      });
      resizePad();
    }
  });
  resizePad();
});
