var v = window.Vitrina;
if (v && v._factory) v._factory(VitrinaWidget);
})();
