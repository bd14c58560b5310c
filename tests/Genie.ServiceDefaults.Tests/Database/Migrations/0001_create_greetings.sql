CREATE TABLE greetings (text text NOT NULL);
INSERT INTO greetings VALUES ('hello');
