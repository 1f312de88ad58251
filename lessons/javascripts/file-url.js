// Opened straight from disk (file://), the site works except for its search box: browsers
// do not let a page from disk start the Web Worker that the theme's search runs in. Say so
// in the box, instead of letting it wait for results that never come.
document$.subscribe(function () {
  if (window.location.protocol !== "file:") return;
  for (const input of document.querySelectorAll("input.md-search__input")) {
    input.disabled = true;
    const chinese = document.documentElement.lang === "zh-TW";  // the zh-TW pages (mkdocs-static-i18n)
    input.placeholder = chinese ? "搜尋需要網頁伺服器" : "Search needs a web server";
    input.title = (chinese ? "用網頁伺服器開啟網站才能搜尋：" : "Serve the site to search it: ") +
      "python -m http.server -d site";
  }
});
