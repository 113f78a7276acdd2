// Starts reveal.js for the Floatline deck. Loaded after reveal.js, its notes plugin and live.js.
/* global Reveal, RevealNotes */
(() => {
  Reveal.initialize({
    width: 1280,
    height: 720,
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
    plugins: [RevealNotes],
  }).then(() => {
    document.documentElement.setAttribute('data-deck-ready', 'true');
  });
})();
