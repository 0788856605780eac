// Tells the benchmark the page has loaded (the same IPC round trip the app's marker makes),
// and echoes the textarea into a div: the baseline for keystroke-to-DOM latency.
window.addEventListener("load", () => {
  window.__TAURI_INTERNALS__.invoke("perf_mark", { name: "page-loaded" });
});
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("input");
  const echo = document.getElementById("echo");
  input.addEventListener("input", () => {
    echo.textContent = input.value;
  });
});
