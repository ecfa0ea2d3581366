// Kept apart from error_code.cpp so that a program that never prints a code (the widget) does
// not link the stream library for it.
#include <ostream>

#include "vitrina/protocol/error_code.hpp"

namespace vitrina::protocol {

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << error_code_name(code); }

}  // namespace vitrina::protocol
