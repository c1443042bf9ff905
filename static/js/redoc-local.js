/* ReDoc's side menu shows a logo from its makers' CDN, the docs page's only request to another
   host. Loaded before ReDoc: any image address on that CDN becomes this server's own small
   logo (given in this script tag's data-logo), so the page asks no other host for anything. */
(function () {
  "use strict";
  var logo = document.currentScript && document.currentScript.dataset.logo;
  var outside = "https://cdn.redoc.ly/";
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (logo && name === "src" && typeof value === "string" && value.indexOf(outside) === 0) {
      value = logo;
    }
    return setAttribute.call(this, name, value);
  };
  var descriptor = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: descriptor.enumerable,
    get: descriptor.get,
    set: function (value) {
      if (logo && typeof value === "string" && value.indexOf(outside) === 0) {
        value = logo;
      }
      descriptor.set.call(this, value);
    },
  });
})();
