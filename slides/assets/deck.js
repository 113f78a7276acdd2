// Starts reveal.js for the Floatline deck. Loaded after reveal.js, its notes plugin and live.js.
// A phone gets a narrow, tall slide (the theme's phone layout stacks its columns) instead of
// the projector's 1280 × 720 shrunk to a third, where text is too small to read.
/* global Reveal, RevealNotes */
(() => {
  var phone = window.matchMedia('(max-width: 700px)');
  var size = (narrow) => (narrow ? { width: 540, height: 1080 } : { width: 1280, height: 720 });
  var start = size(phone.matches);
  Reveal.initialize({
    width: start.width,
    height: start.height,
    margin: 0.04,
    hash: true,
    controls: true,
    progress: true,
    slideNumber: 'c/t',
    showSlideNumber: 'all',
    overview: true,
    center: false,
    transition: 'fade',
    transitionSpeed: 'fast',
    pdfSeparateFragments: false,
    // Phones keep slide-by-slide paging (swipe or the arrows) on the narrow slide above,
    // rather than reveal's scroll view, which would also shrink the projector's slide.
    scrollActivationWidth: null,
    plugins: [RevealNotes],
  }).then(() => {
    document.documentElement.setAttribute('data-deck-ready', 'true');
  });
  // Turning the phone (or resizing a window across the line) switches the slide size with it.
  phone.addEventListener('change', (e) => {
    Reveal.configure(size(e.matches));
  });
})();
