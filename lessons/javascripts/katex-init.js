// Typeset the math of the page with KaTeX, served from assets/katex/ (no CDN, works offline).
//
// pymdownx.arithmatex (generic mode) keeps each formula's delimiters in the HTML:
// \( … \) inline, \[ … \] on lines of their own. KaTeX's auto-render finds them and
// replaces each formula by typeset HTML. It searches the whole page, not only the
// formulas arithmatex marked, so that math in a heading is typeset in the table of
// contents too; it never looks inside code blocks.
//
// document$ is the theme's (Material for MkDocs) stream of page loads: it fires on the
// first load and again after every page change, including those made by the
// theme's "instant navigation", where no script is loaded a second time.
document$.subscribe(function () {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false, // a broken formula shows in red (class katex-error) instead of vanishing
  });
});
