-- Conversation keys now name the space a thread belongs to. A Bot Framework (Teams) channel thread's id is the
-- channel's plus ";messageid=…": runs stored before keep working for clicks from another thread of that channel.
UPDATE runs
SET conversation_json = json_set(conversation_json, '$.space',
    substr(json_extract(conversation_json, '$.conversationId'), 1, instr(json_extract(conversation_json, '$.conversationId'), ';') - 1))
WHERE json_extract(conversation_json, '$.adapter') = 'botframework'
  AND json_type(conversation_json, '$.space') IS NULL
  AND instr(json_extract(conversation_json, '$.conversationId'), ';') > 1;
