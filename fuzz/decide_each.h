// Decides one request per action of a bundle (no facts: every rule reads a missing fact or none)
// and checks what the runtime renders: the decision JSON parses, the texts are valid UTF-8.
#pragma once
#include "xiangyue/runtime/bundle.h"

namespace xy::fuzz {

void decide_each_action(const Bundle& bundle, std::size_t at_most = 8);

}  // namespace xy::fuzz
