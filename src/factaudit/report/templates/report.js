// The static report's glue: the shared panel renderer (panel.js, inlined just before this) on a page
// with no review forms.
FactauditPanel.init({ reviews: false });
