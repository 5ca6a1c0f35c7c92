// Enhancements of the base module's pages; every page works without them.
(function () {
  "use strict";
})();
