// Lowering: the checked program into the bundle's IR (private). Nothing is checked here; the
// checker accepted every expression lowering reads.
#pragma once
#include "xiangyue/compiler/checked.h"

namespace xy::lower {

// Moves the declarations out of `program` into a bundle and adds each rule's condition and
// reason as IR nodes. Call only when checking reported no error.
Bundle lower(checked::Program& program);

}  // namespace xy::lower
