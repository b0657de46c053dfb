package vpcdns

// ServicePublicAddr is servicePublicAddr, for the tests.
var ServicePublicAddr = servicePublicAddr
