// The summary's « Imprimer » button (no inline script: the Content-Security-Policy forbids it).
document.getElementById("imprimer")?.addEventListener("click", () => window.print());
