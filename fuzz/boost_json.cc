// Boost.JSON's implementation, compiled into the fuzz library (instrumented) in place of the
// system's libboost_json.
#include <boost/json/src.hpp>
