-- Conversation keys now name the space a thread belongs to. A Bot Framework (Teams) channel thread's id is the
-- channel's plus ";messageid=…": runs stored before keep working for clicks from another thread of that channel.
UPDATE runs
SET conversation_json = jsonb_set(conversation_json::jsonb, '{space}',
    to_jsonb(split_part(conversation_json::jsonb ->> 'conversationId', ';', 1)))::text
WHERE conversation_json::jsonb ->> 'adapter' = 'botframework'
  AND NOT (conversation_json::jsonb ? 'space')
  AND position(';' in conversation_json::jsonb ->> 'conversationId') > 1;
