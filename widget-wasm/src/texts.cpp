#include "texts.hpp"

namespace vitrina::widget {

namespace {

constexpr Texts kEnglish{
    .open_chat = "Open chat",
    .close_chat = "Close chat",
    .unread = "Open chat, unread messages: ",
    .title = "Chat with us",
    .online = "We are online",
    .offline = "Nobody is online right now",
    .closed = "We are closed now",
    .connecting = "Connecting…",
    .close_panel = "Close",
    .end_chat = "End chat",
    .log_label = "Messages",
    .message_label = "Message",
    .placeholder = "Write a message…",
    .send = "Send",
    .sending = "Sending…",
    .sent = "Sent",
    .read = "Read",
    .not_sent = "Not sent: ",
    .you = "You",
    .operator_ = "Operator",
    .is_typing = " is typing…",
    .offline_intro = "Leave a message and we will get back to you by e-mail or phone.",
    .name = "Your name",
    .email = "E-mail",
    .phone = "Phone",
    .offline_send = "Leave a message",
    .offline_done = "Thank you! We will get back to you.",
    .prechat_intro = "Before we start, please introduce yourself.",
    .prechat_start = "Start chat",
    .ended = "The conversation has ended.",
    .new_chat = "Write to start a new conversation.",
    .check_field = "Please check this field: ",
    .need_contact = "Please give an e-mail or a phone number.",
};

constexpr Texts kRussian{
    .open_chat = "Открыть чат",
    .close_chat = "Закрыть чат",
    .unread = "Открыть чат, непрочитанных сообщений: ",
    .title = "Чат с нами",
    .online = "Мы на связи",
    .offline = "Сейчас никого нет на месте",
    .closed = "Сейчас мы не работаем",
    .connecting = "Подключаемся…",
    .close_panel = "Закрыть",
    .end_chat = "Завершить чат",
    .log_label = "Сообщения",
    .message_label = "Сообщение",
    .placeholder = "Напишите сообщение…",
    .send = "Отправить",
    .sending = "Отправляется…",
    .sent = "Отправлено",
    .read = "Прочитано",
    .not_sent = "Не отправлено: ",
    .you = "Вы",
    .operator_ = "Оператор",
    .is_typing = " печатает…",
    .offline_intro = "Оставьте сообщение, и мы ответим по почте или по телефону.",
    .name = "Ваше имя",
    .email = "Эл. почта",
    .phone = "Телефон",
    .offline_send = "Оставить сообщение",
    .offline_done = "Спасибо! Мы с вами свяжемся.",
    .prechat_intro = "Прежде чем начать, представьтесь, пожалуйста.",
    .prechat_start = "Начать чат",
    .ended = "Разговор завершён.",
    .new_chat = "Напишите, чтобы начать новый разговор.",
    .check_field = "Проверьте поле: ",
    .need_contact = "Укажите почту или телефон.",
};

}  // namespace

const Texts& texts(Language language) noexcept { return language == Language::kRussian ? kRussian : kEnglish; }

}  // namespace vitrina::widget
