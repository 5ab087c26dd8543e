// A file made in the page (a CSV export) handed to the browser as a download.

/** Hands the text to the browser as a downloaded file. */
export function downloadCsv(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the URL is let go after the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
