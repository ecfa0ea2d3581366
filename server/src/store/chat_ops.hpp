#pragma once
// Live chat writes, as WriteOps for the writer thread. Each runs the conversation state machine
// and the sequencing rules inside its transaction, so two writers never race on a seq, and puts
// its webhook events in the outbox in the same transaction.

#include <memory>

#include "store/chat_records.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"

namespace vitrina::store {

std::unique_ptr<WriteOp> make_chat_append(ChatAppend append, Done<ChatAppended> done);
std::unique_ptr<WriteOp> make_chat_action(ChatAction action, Done<ChatActed> done);
std::unique_ptr<WriteOp> make_chat_read(ChatRead read, Done<ChatReadResult> done);
std::unique_ptr<WriteOp> make_chat_context(ChatContextUpdate update, Done<chat::VisitorContext> done);

}  // namespace vitrina::store
