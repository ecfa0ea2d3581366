(function (define, module, exports) {
