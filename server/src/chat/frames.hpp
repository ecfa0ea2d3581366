#pragma once
// Frames the chat service sends, and what of them a visitor may see. Pure functions: any thread.

#include <memory>
#include <string>

#include "chat/peer.hpp"
#include "vitrina/protocol/chat.hpp"
#include "vitrina/protocol/chat_conversation.hpp"
#include "vitrina/protocol/result.hpp"

namespace vitrina::chat {

/// One frame, encoded once and shared by every connection it goes to.
std::shared_ptr<const std::string> frame_of(const protocol::chat::ServerFrame& frame);

/// What a visitor may see of a conversation: no visitor record, no context, no operator ids.
protocol::chat::Conversation for_visitor(protocol::chat::Conversation c);
protocol::chat::MessageEvent for_visitor(protocol::chat::MessageEvent m);
protocol::chat::Author for_visitor(protocol::chat::Author a);

/// Who a connection (or the console's HTTP caller) acts as.
protocol::chat::Actor actor_of(const PeerState& s);

/// An `error` frame: the codes the protocol defines pass through; anything else (a store
/// fault) becomes `internal`, so no store detail reaches a client.
protocol::chat::ErrorEvent error_event(const protocol::Error& e, std::string ref, std::string client_id);

}  // namespace vitrina::chat
